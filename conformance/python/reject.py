"""The Python client of the Switchboard conformance suite: msgraph-sdk, written as the Graph reference's
"call: reject" Python snippet, with only the base URL and the token source changed.

usage: python reject.py BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID
env:   SB_BASE_URL (https://host:port), SB_TENANT, SB_APP_ID, SB_APP_SECRET; SSL_CERT_FILE for a test CA
"""
import asyncio
import os
import sys
from typing import Any
from urllib.parse import urlparse

import httpx
from kiota_abstractions.authentication import (AccessTokenProvider, AllowedHostsValidator,
                                               BaseBearerTokenAuthenticationProvider)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.communications.calls.item.reject.reject_post_request_body import RejectPostRequestBody
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.reject_reason import RejectReason


class SwitchboardTokens(AccessTokenProvider):
    """Signs in at Switchboard's token endpoint with the client-credentials grant, as a bot does against Entra ID."""

    def __init__(self, base: str, tenant: str, app_id: str, secret: str) -> None:
        self.base, self.tenant, self.app_id, self.secret = base, tenant, app_id, secret
        self.token = None

    async def get_authorization_token(self, uri: str, additional_authentication_context: dict[str, Any] = {}) -> str:
        if self.token is None:
            async with httpx.AsyncClient() as http:
                response = await http.post(f"{self.base}/{self.tenant}/oauth2/v2.0/token", data={
                    "grant_type": "client_credentials", "client_id": self.app_id,
                    "client_secret": self.secret, "scope": "https://graph.microsoft.com/.default"})
                response.raise_for_status()
                self.token = response.json()["access_token"]
        return self.token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([urlparse(self.base).netloc])


async def reject(graph_client: GraphServiceClient, call_id: str, reason: RejectReason) -> None:
    request_body = RejectPostRequestBody(
        reason=reason,
    )
    await graph_client.communications.calls.by_call_id(call_id).reject.post(request_body)


def describe(e: Exception) -> str:
    if isinstance(e, ODataError) and e.error is not None:
        return f"ODataError status {e.response_status_code} code {e.error.code}: {e.error.message}"
    return f"{type(e).__name__}: {e}"


async def main(busy_id: str, none_id: str, unknown_id: str) -> str:
    base = os.environ["SB_BASE_URL"].rstrip("/")
    tokens = SwitchboardTokens(base, os.environ["SB_TENANT"], os.environ["SB_APP_ID"], os.environ["SB_APP_SECRET"])
    request_adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(tokens))
    request_adapter.base_url = base + "/v1.0"
    graph_client = GraphServiceClient(request_adapter=request_adapter)

    for call_id, reason in ((busy_id, RejectReason.Busy), (none_id, RejectReason.None_)):
        try:
            await reject(graph_client, call_id, reason)
        except Exception as e:
            raise AssertionError(f"reject {reason.value} {call_id}: {describe(e)}") from e

    try:
        await reject(graph_client, unknown_id, RejectReason.Busy)
    except ODataError as e:
        code = e.error.code if e.error is not None else None
        if e.response_status_code != 404 or code != "8522":
            raise AssertionError(f"reject of unknown call: status {e.response_status_code} code {code!r}, want 404 8522")
    except Exception as e:
        raise AssertionError(f"reject of unknown call: {type(e).__name__} is not ODataError: {e}") from e
    else:
        raise AssertionError(f"reject of unknown call {unknown_id} succeeded")
    return "msgraph-sdk rejected busy + none (202), unknown call -> ODataError 404 8522"


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("FAIL usage: reject.py BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID")
        sys.exit(2)
    try:
        print("OK " + asyncio.run(main(*sys.argv[1:])))
    except Exception as e:
        print("FAIL " + (str(e) if isinstance(e, AssertionError) else describe(e)))
        sys.exit(1)
