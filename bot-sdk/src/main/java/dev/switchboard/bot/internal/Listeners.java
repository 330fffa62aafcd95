package dev.switchboard.bot.internal;

/** Calls into user listeners: a listener that throws never breaks the bot. */
final class Listeners {

    private static final System.Logger LOG = System.getLogger("dev.switchboard.bot");

    private Listeners() {
    }

    static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a BotListener threw; ignored", e);
        }
    }
}
