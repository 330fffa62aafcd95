/** The storage port: what the core needs from a durable store, whichever engine is behind it. */
package dev.switchboard.core.store;
