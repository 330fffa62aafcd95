package dev.switchboard.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallCodec;

/** Just enough of the Graph mapping for the outbox: these tests never read calls back. */
final class TestCodec implements CallCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String encode(Call call) {
        return resourceData(call);
    }

    @Override
    public Call decode(String encoded) {
        throw new UnsupportedOperationException("notify tests only write the outbox");
    }

    @Override
    public String resourceData(Call call) {
        ObjectNode node = JSON.createObjectNode()
                .put("@odata.type", "#microsoft.graph.call")
                .put("id", call.id())
                .put("state", call.state().wireName())
                .put("direction", call.direction().wireName())
                .put("callbackUri", call.callbackUri())
                .put("tenantId", call.tenantId())
                .put("callChainId", call.callChainId());
        return node.toString();
    }
}
