/**
 * What any SQL engine adapter of the storage port can share: the statements (plain SQL that SQLite
 * and PostgreSQL both accept), the mapping of rows to port types, and the timeline's wording. How
 * connections, transactions and migrations are managed belongs to each engine's package.
 */
package dev.switchboard.store.sql;
