/**
 * Cluster mode: calls in a PostgreSQL database that several nodes share. Each work is a transaction
 * of its own on a pooled connection (HikariCP); the schema is migrated by Flyway from
 * {@code db/migration/postgres}. The SQL both engines accept comes from {@code dev.switchboard.store.sql};
 * only what PostgreSQL does differently (row locks, {@code RETURNING}) is here.
 */
package dev.switchboard.store.postgres;
