/**
 * Who is signing in: users and roles, password + SMS one-time-code login, lock-out, API tokens,
 * preferences (language, elderly mode) and the audit trail.
 */
package org.telehall.identity;
