/**
 * Customer care: tickets a person at the operator follows up (first kind: bill disputes the system
 * could not settle by itself), listed for agents in the console at {@code /agent/tickets}.
 */
package org.telehall.care;
