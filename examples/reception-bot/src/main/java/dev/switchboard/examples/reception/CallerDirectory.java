package dev.switchboard.examples.reception;

import dev.switchboard.bot.Identity;

/** Who the reception knows. May be slow (a CRM, a database): the bot's deadline guard covers it. */
@FunctionalInterface
public interface CallerDirectory {

    boolean isKnown(Identity caller) throws Exception;
}
