/** Customers (people and enterprises), their lines (MSISDN, SIM, status) and real-name data. */
package org.telehall.customer;
