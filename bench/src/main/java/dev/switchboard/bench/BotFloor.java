package dev.switchboard.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor of Switchboard's SIP path with the bot in it and nothing of the store: what the tail of
 * INVITE → 486 is on this machine when every durable commit, the outbox and the dispatcher cost
 * nothing. JAIN-SIP, set up as the bridge sets it up, sends 100 and POSTs a {@code created}
 * notification (about the size of Switchboard's, with a bearer token as long) to the same bot
 * ({@link SipBot} or {@code bench/gobot}) on the SIP worker's own thread, with HttpClient 5 as
 * {@code HttpDelivery} does; 180 once the bot answers 202. The bot's {@code POST …/reject}, served by
 * Javalin as the Graph API is, sends the 486 on Jetty's thread and answers 202; a {@code deleted}
 * notification then goes to the bot from a small pool, off the caller's path, as Switchboard's does.
 * The bot also gets {@code /readyz} and a token. With {@code -Dstore=writer|inline -DdataDir=DIR} the
 * INVITE and the reject each first wait for a durable commit ({@link FloorStore}), before the
 * notification and before the 486. {@code bench/handover-floor.sh "bot-java bot java"}
 * runs it under sipp's load.
 *
 * <pre>{@code
 * java -Dport=5070 -DhttpPort=18090 -DbotPort=18091 [-Dstore=writer -DdataDir=/tmp/floor] -cp ... dev.switchboard.bench.BotFloor
 * }</pre>
 */
public final class BotFloor implements SipListener {

    private static final String TOKEN = "x".repeat(900);
    /** Switchboard's created notification for a SIP caller is about this long; the padding stands in for its fields. */
    private static final String PADDING = "p".repeat(1_300);

    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final CloseableHttpClient client;
    private final String callback;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ExecutorService deletions = Executors.newFixedThreadPool(4, FullLoop.daemons("floor-deleted"));
    private final Optional<FloorStore> store;

    private record Pending(ServerTransaction st, Request invite, String toTag) { }

    private BotFloor(SipProvider provider, SipFactory factory, String callback, Optional<FloorStore> store)
            throws Exception {
        this.provider = provider;
        this.store = store;
        this.messages = factory.createMessageFactory();
        this.headers = factory.createHeaderFactory();
        this.callback = callback;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(64).setMaxConnPerRoute(64).build())
                .disableAutomaticRetries()
                .build();
    }

    public static void main(String[] args) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        SipProvider provider = HandoverFloor.listen(factory, "bot-floor", Integer.getInteger("port", 5070));
        BotFloor floor = new BotFloor(provider, factory,
                "http://127.0.0.1:" + Integer.getInteger("botPort", 18091) + "/bot/0",
                System.getProperty("store", "none").equals("none") ? Optional.empty()
                        : Optional.of(new FloorStore(System.getProperty("store"),
                                System.getProperty("sync", "FULL"), Path.of(System.getProperty("dataDir")))));
        provider.addSipListener(floor);
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = Integer.getInteger("httpPort", 18090);
            config.routes.get("/readyz", ctx -> ctx.result("ready"));
            config.routes.post("/{tenant}/oauth2/v2.0/token", ctx -> ctx.contentType("application/json")
                    .result("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"" + TOKEN + "\"}"));
            config.routes.post("/v1.0/communications/calls/{id}/reject", floor::reject);
        }).start();
        System.out.println("ready: bot floor, notifications to " + floor.callback);
        Thread.currentThread().join();
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            Optional<ServerTransaction> invite = HandoverFloor.trying(provider, messages, event);
            if (invite.isEmpty()) return;
            String id = UUID.randomUUID().toString();
            Pending call = new Pending(invite.get(), event.getRequest(), Long.toHexString(System.nanoTime()));
            pending.put(id, call);
            store.ifPresent(s -> s.commit(id, "incoming"));
            if (notify(id, "created", "incoming") == 202 && pending.containsKey(id)) {
                send(call, 180);
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private void reject(Context ctx) {
        Pending call = pending.remove(ctx.pathParam("id"));
        if (call == null) {
            ctx.status(404);
            return;
        }
        store.ifPresent(s -> s.commit(ctx.pathParam("id"), "terminated"));
        send(call, 486);
        ctx.status(202);
        deletions.execute(() -> notify(ctx.pathParam("id"), "deleted", "terminated"));
    }

    private int notify(String id, String change, String state) {
        HttpPost post = new HttpPost(callback);
        post.setHeader("Authorization", "Bearer " + TOKEN);
        post.setEntity(new StringEntity("{\"value\":[{\"changeType\":\"" + change + "\",\"resource\":\"/app/calls/" + id
                + "\",\"resourceUrl\":\"/communications/calls/" + id + "\",\"resourceData\":{\"@odata.type\":"
                + "\"#microsoft.graph.call\",\"id\":\"" + id + "\",\"state\":\"" + state + "\",\"padding\":\"" + PADDING
                + "\"}}]}", ContentType.APPLICATION_JSON));
        try {
            return client.execute(post, r -> {
                EntityUtils.consume(r.getEntity());
                return r.getCode();
            });
        } catch (IOException e) {
            System.err.println("notification failed: " + e);
            return 0;
        }
    }

    private void send(Pending call, int status) {
        try {
            Response r = messages.createResponse(status, call.invite());
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(call.toTag());
            if (status == 486) r.addHeader(headers.createReasonHeader("Q.850", 17, "User busy"));
            call.st().sendResponse(r);
        } catch (Exception e) {
            System.err.println(status + " not sent: " + e);
        }
    }

    @Override public void processResponse(ResponseEvent event) { }
    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }
}
