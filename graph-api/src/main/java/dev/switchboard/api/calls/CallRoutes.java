package dev.switchboard.api.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.auth.AccessTokens;
import dev.switchboard.api.auth.Authentication;
import dev.switchboard.api.auth.Principal;
import dev.switchboard.api.http.GraphErrors;
import dev.switchboard.api.http.GraphException;
import dev.switchboard.api.http.JsonBodies;
import dev.switchboard.api.http.RequestIds;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.apps.Permission;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Gateway;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import dev.switchboard.core.calls.Verdict;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.json.CallReader;
import dev.switchboard.json.CallWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * The Graph {@code /communications/calls} surface: create, get, reject, answer, redirect, delete.
 * Each handler decodes, asks the core, and encodes the verdict; nothing here decides a call's state.
 */
public final class CallRoutes {

    private static final List<String> COLLECTIONS = List.of(
            "/v1.0/communications/calls", "/beta/communications/calls", "/v1.0/app/calls", "/beta/app/calls");

    private final CallActions actions;
    private final CallStore store;
    private final Directory directory;
    private final AccessTokens tokens;
    private final CallRequests requests;
    private final CallWriter writer;
    private final Executor responses;
    private final AppRateLimit limit;

    /**
     * @param responses where answers are written once the store has committed, so that the store's
     *                  single completion thread never renders and writes HTTP responses itself
     */
    public CallRoutes(CallActions actions, CallStore store, Directory directory, AccessTokens tokens,
                      CallbackCheck callbacks, ObjectMapper mapper, Executor responses) {
        this(actions, store, directory, tokens, callbacks, mapper, responses, Gateway.NONE);
    }

    /** @param gateway reaches phone numbers and SIP addresses a bot calls (the SIP bridge's outbound trunk) */
    public CallRoutes(CallActions actions, CallStore store, Directory directory, AccessTokens tokens,
                      CallbackCheck callbacks, ObjectMapper mapper, Executor responses, Gateway gateway) {
        this(actions, store, directory, tokens, callbacks, mapper, responses, gateway, AppRateLimit.NONE);
    }

    /** @param limit how many requests each app may make; checked once the request's token is */
    public CallRoutes(CallActions actions, CallStore store, Directory directory, AccessTokens tokens,
                      CallbackCheck callbacks, ObjectMapper mapper, Executor responses, Gateway gateway,
                      AppRateLimit limit) {
        this.limit = limit;
        this.actions = actions;
        this.store = store;
        this.directory = directory;
        this.tokens = tokens;
        this.requests = new CallRequests(directory, callbacks, gateway);
        this.writer = new CallWriter(mapper);
        this.responses = responses;
    }

    public void register(RoutesConfig routes) {
        for (String calls : COLLECTIONS) {
            routes.post(calls, this::create);
            routes.get(calls + "/{id}", this::get);
            routes.delete(calls + "/{id}", this::hangup);
            action(routes, calls, "reject", this::reject);
            action(routes, calls, "answer", this::answer);
            action(routes, calls, "redirect", this::redirect);
        }
    }

    private void action(RoutesConfig routes, String calls, String name,
                        BiFunction<Context, Principal, Command> command) {
        Handler handler = ctx -> decide(ctx, command.apply(ctx, authenticate(ctx)), 202);
        routes.post(calls + "/{id}/" + name, handler);
        routes.post(calls + "/{id}/microsoft.graph." + name, handler);
    }

    private void create(Context ctx) {
        Principal principal = authenticate(ctx);
        // a new call that could not be stored would ring nowhere: refuse at once while the store is down
        if (!actions.acceptsCalls()) throw GraphException.unavailable("The calls store is unavailable; no call was placed. Retry later.");
        JsonNode body = JsonBodies.object(ctx);
        App caller = directory.app(principal.tenantId(), principal.appId()).orElseThrow(
                () -> GraphException.unauthenticated("The application is no longer registered."));
        Optional<dev.switchboard.core.calls.GroupInvitation> invitation = CallRequests.read(() -> CallReader.invitation(body));
        Permission needed = invitation.isPresent() ? Permission.CALLS_INITIATE_GROUP_CALL : Permission.CALLS_INITIATE;
        requirePermission(principal, needed);
        List<Offer> offers = requests.offers(requests.targets(body), principal);
        String callbackUri = requests.callbackUri(body).or(caller::callbackUri).orElseThrow(
                () -> GraphException.invalidRequest("callbackUri is required: the application has none registered."));
        List<Modality> modalities = requests.modalities(body, "requestedModalities");
        PlaceCall place = new PlaceCall(principal.tenantId(), principal.appId(), callbackUri,
                requests.source(body, caller), offers.stream().map(Offer::party).toList(), offers,
                modalities.isEmpty() ? List.of(Modality.AUDIO) : modalities, invitation, retryKey(ctx, principal));
        String collection = ctx.path().endsWith("/") ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
        respond(ctx, actions.place(place), call -> {
            ctx.status(201).header("Location", ctx.scheme() + "://" + ctx.host() + collection + "/" + call.id());
            ctx.contentType("application/json").result(writer.json(call));
        });
    }

    private void get(Context ctx) {
        Principal principal = authenticate(ctx);
        Call call = store.find(ctx.pathParam("id"))
                .filter(c -> c.isOwnedBy(principal.tenantId(), principal.appId()))
                .orElseThrow(GraphException::callNotFound);
        ctx.contentType("application/json").result(writer.json(call));
    }

    private void hangup(Context ctx) {
        Principal principal = authenticate(ctx);
        decide(ctx, new Command.Hangup(ctx.pathParam("id"), principal.tenantId(), principal.appId()), 204);
    }

    private Command reject(Context ctx, Principal p) {
        JsonNode body = JsonBodies.object(ctx);
        return new Command.Reject(ctx.pathParam("id"), p.tenantId(), p.appId(), requests.reason(body),
                requests.callbackUri(body));
    }

    private Command answer(Context ctx, Principal p) {
        requirePermission(p, Permission.CALLS_JOIN_GROUP_CALL);
        JsonNode body = JsonBodies.object(ctx);
        return new Command.Answer(ctx.pathParam("id"), p.tenantId(), p.appId(), requests.callbackUri(body),
                requests.modalities(body, "acceptedModalities"));
    }

    private Command redirect(Context ctx, Principal p) {
        requirePermission(p, Permission.CALLS_INITIATE);
        JsonNode body = JsonBodies.object(ctx);
        List<Party> targets = requests.targets(body);
        long apps = targets.stream().filter(t -> t.identity().applicationId().isPresent()).count();
        if (apps == targets.size()) {
            return new Command.Redirect(ctx.pathParam("id"), p.tenantId(), p.appId(), requests.offers(targets, p),
                    requests.callbackUri(body));
        }
        if (apps > 0) {
            throw GraphException.invalidRequest("targets must all name applications, or all phone numbers or SIP "
                    + "addresses; a redirect cannot mix them.");
        }
        // a SIP caller is sent to them itself (a 302); an app's call goes on through the trunk, if there is one
        List<Party> outside = requests.outside(targets);
        return new Command.Forward(ctx.pathParam("id"), p.tenantId(), p.appId(), outside, requests.callbackUri(body),
                requests.throughTrunk(outside, p));
    }

    private void decide(Context ctx, Command command, int success) {
        respond(ctx, actions.execute(command), verdict -> {
            if (verdict instanceof Verdict.Applied || verdict instanceof Verdict.AlreadyApplied) {
                // no result at all: an empty one still costs a copy through an 8 KiB buffer
                ctx.status(success).header("Content-Length", "0");
            } else if (verdict instanceof Verdict.NotAllowed notAllowed) {
                GraphErrors.write(ctx, 409, "notAllowed", notAllowed.message());
            } else {
                GraphErrors.write(ctx, GraphException.callNotFound());
            }
        });
    }

    private <T> void respond(Context ctx, CompletableFuture<T> result, java.util.function.Consumer<T> onSuccess) {
        ctx.future(() -> result.handleAsync((value, failure) -> {
            if (failure == null) {
                onSuccess.accept(value);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                GraphErrors.write(ctx, GraphException.unavailable(
                        "The call could not be stored; nothing was changed. Retry later. (" + cause.getClass().getSimpleName() + ")"));
            }
            return null;
        }, responses));
    }

    private Principal authenticate(Context ctx) {
        Authentication auth = tokens.verify(Optional.ofNullable(ctx.header("Authorization")));
        if (auth instanceof Authentication.Accepted accepted) {
            limit.take(accepted.principal()).ifPresent(wait -> {
                throw GraphException.tooManyRequests(wait);
            });
            return accepted.principal();
        }
        if (auth instanceof Authentication.Delegated) {
            throw GraphException.forbidden("Calls take an application token; this token has no application roles.");
        }
        ctx.header("WWW-Authenticate", "Bearer");
        throw GraphException.unauthenticated(((Authentication.Refused) auth).reason());
    }

    private static void requirePermission(Principal p, Permission needed) {
        if (!p.may(needed)) throw GraphException.forbidden("The application needs the " + needed.role() + " permission.");
    }

    /**
     * SDK clients reuse one client-request-id for all their requests and resend the same one when they
     * retry (marking it with Retry-Attempt), so the key is the id plus the exact body.
     */
    private static Optional<PlaceCall.RetryKey> retryKey(Context ctx, Principal p) {
        return RequestIds.clientRequestId(ctx).map(id -> {
            String retry = ctx.header("Retry-Attempt");
            boolean isRetry = retry != null && !retry.isBlank() && !retry.trim().equals("0");
            return new PlaceCall.RetryKey(p.tenantId() + "/" + p.appId() + "/" + id + "/" + sha256(ctx.bodyAsBytes()), isRetry);
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
