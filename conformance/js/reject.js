// The JavaScript client of the Switchboard conformance suite: @microsoft/microsoft-graph-client, written as the
// Graph reference's "call: reject" JavaScript snippet, with only the base URL and the token source changed.
//
// usage: node reject.js BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID
// env:   SB_BASE_URL (https://host:port), SB_TENANT, SB_APP_ID, SB_APP_SECRET; NODE_EXTRA_CA_CERTS for a test CA
"use strict";
const { Client, GraphError } = require("@microsoft/microsoft-graph-client");

/** An AuthenticationProvider that signs in at Switchboard's token endpoint (client credentials), as a bot does against Entra ID. */
class SwitchboardAuthProvider {
  constructor(base, tenant, appId, secret) {
    Object.assign(this, { base, tenant, appId, secret, token: null });
  }
  async getAccessToken() {
    if (this.token === null) {
      const response = await fetch(`${this.base}/${this.tenant}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials", client_id: this.appId, client_secret: this.secret,
          scope: "https://graph.microsoft.com/.default",
        }),
      });
      const body = await response.json();
      if (!response.ok || !body.access_token) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
      this.token = body.access_token;
    }
    return this.token;
  }
}

const describe = (e) => e instanceof GraphError ? `GraphError status ${e.statusCode} code ${e.code}: ${e.message}` : String(e);

async function main(busyId, noneId, unknownId) {
  const base = process.env.SB_BASE_URL.replace(/\/+$/, "");
  const authProvider = new SwitchboardAuthProvider(base, process.env.SB_TENANT, process.env.SB_APP_ID, process.env.SB_APP_SECRET);
  const client = Client.initWithMiddleware({
    authProvider,
    baseUrl: base,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(base).hostname]),
  });

  for (const [callId, reason] of [[busyId, "busy"], [noneId, "none"]]) {
    const reject = { reason };
    try {
      await client.api(`/communications/calls/${callId}/reject`).post(reject);
    } catch (e) {
      throw new Error(`reject ${reason} ${callId}: ${describe(e)}`);
    }
  }

  try {
    await client.api(`/communications/calls/${unknownId}/reject`).post({ reason: "busy" });
  } catch (e) {
    if (!(e instanceof GraphError)) throw new Error(`reject of unknown call: ${e} is not a GraphError`);
    if (e.statusCode !== 404 || e.code !== "8522") {
      throw new Error(`reject of unknown call: status ${e.statusCode} code ${e.code}, want 404 8522`);
    }
    return "microsoft-graph-client rejected busy + none (202), unknown call -> GraphError 404 8522";
  }
  throw new Error(`reject of unknown call ${unknownId} succeeded`);
}

if (process.argv.length !== 5) {
  console.log("FAIL usage: node reject.js BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID");
  process.exit(2);
}
main(...process.argv.slice(2)).then(
  (ok) => { console.log(`OK ${ok}`); process.exit(0); },
  (e) => { console.log(`FAIL ${e.message}`); process.exit(1); },
);
