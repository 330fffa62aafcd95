package conformance;

import com.microsoft.graph.communications.calls.item.reject.RejectPostRequestBody;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java client of the Switchboard conformance suite: com.microsoft.graph:microsoft-graph 6.x, written as the
 * Graph reference's "call: reject" Java snippet, with only the base URL and the token source changed.
 *
 * <p>usage: {@code java conformance.Reject BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID}; env SB_BASE_URL, SB_TENANT,
 * SB_APP_ID, SB_APP_SECRET; the test CA through {@code -Djavax.net.ssl.trustStore}.
 */
public final class Reject {

    /** Signs in at Switchboard's token endpoint with the client-credentials grant, as a bot does against Entra ID. */
    static final class SwitchboardTokens implements AccessTokenProvider {
        private final String base, tenant, appId, secret;
        private String token;

        SwitchboardTokens(String base, String tenant, String appId, String secret) {
            this.base = base;
            this.tenant = tenant;
            this.appId = appId;
            this.secret = secret;
        }

        @Override
        public synchronized String getAuthorizationToken(URI uri, Map<String, Object> additionalContext) {
            if (token == null) {
                String form = "grant_type=client_credentials&client_id=" + enc(appId) + "&client_secret=" + enc(secret)
                        + "&scope=" + enc("https://graph.microsoft.com/.default");
                try {
                    HttpResponse<String> response = HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(URI.create(base + "/" + tenant + "/oauth2/v2.0/token"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
                    if (response.statusCode() != 200 || !m.find()) {
                        throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
                    }
                    token = m.group(1);
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException("token endpoint unreachable: " + e, e);
                }
            }
            return token;
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator(URI.create(base).getAuthority());
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    static void reject(GraphServiceClient graphClient, String callId, RejectReason reason) {
        RejectPostRequestBody rejectPostRequestBody = new RejectPostRequestBody();
        rejectPostRequestBody.setReason(reason);
        graphClient.communications().calls().byCallId(callId).reject().post(rejectPostRequestBody);
    }

    static void decide(GraphServiceClient graphClient, String callId, RejectReason reason) {
        try {
            reject(graphClient, callId, reason);
        } catch (Exception e) {
            throw new AssertionError("reject " + reason.getValue() + " " + callId + ": " + describe(e), e);
        }
    }

    static String describe(Exception e) {
        if (e instanceof ODataError o && o.getError() != null) {
            return "ODataError status " + o.getResponseStatusCode() + " code " + o.getError().getCode() + ": " + o.getError().getMessage();
        }
        return e.toString();
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.out.println("FAIL usage: Reject BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID");
            System.exit(2);
        }
        try {
            System.out.println("OK " + run(args[0], args[1], args[2]));
            System.exit(0);
        } catch (Exception e) {
            System.out.println("FAIL " + describe(e));
            System.exit(1);
        } catch (AssertionError e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(1);
        }
    }

    static String run(String busyId, String noneId, String unknownId) {
        String base = System.getenv("SB_BASE_URL").replaceAll("/+$", "");
        var tokens = new SwitchboardTokens(base, System.getenv("SB_TENANT"), System.getenv("SB_APP_ID"), System.getenv("SB_APP_SECRET"));
        GraphServiceClient graphClient = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
        graphClient.getRequestAdapter().setBaseUrl(base + "/v1.0");

        decide(graphClient, busyId, RejectReason.Busy);
        decide(graphClient, noneId, RejectReason.None);
        try {
            reject(graphClient, unknownId, RejectReason.Busy);
        } catch (ODataError e) {
            String code = e.getError() == null ? null : e.getError().getCode();
            if (e.getResponseStatusCode() != 404 || !"8522".equals(code)) {
                throw new AssertionError("reject of unknown call: status " + e.getResponseStatusCode() + " code " + code + ", want 404 8522");
            }
            return "microsoft-graph rejected busy + none (202), unknown call -> ODataError 404 8522";
        } catch (Exception e) {
            throw new AssertionError("reject of unknown call: " + e.getClass().getName() + " is not ODataError: " + e, e);
        }
        throw new AssertionError("reject of unknown call " + unknownId + " succeeded");
    }
}
