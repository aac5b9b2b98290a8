/**
 * What runs under every module: the database (embedded PostgreSQL or an external one), secret
 * checks at start-up, and the API's error and paging conventions (RFC 9457, TMF630).
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.telehall.platform;
