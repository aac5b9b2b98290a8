/**
 * The demo operator: a realistic catalogue, staff logins and demo subscribers with three months of
 * history, seeded into an empty database under the {@code demo} profile; and a generator for large
 * operators ({@code --subscribers=100000}) used by the benchmarks.
 */
package org.telehall.demo;
