/** Messages to subscribers: the SMS gateway port, the record of every SMS sent, and (later) reminders. */
package org.telehall.notify;
