/**
 * The embedded default: calls in one SQLite file. One writer thread commits works in groups; a few
 * read connections serve queries concurrently (WAL).
 */
package dev.switchboard.store.sqlite;
