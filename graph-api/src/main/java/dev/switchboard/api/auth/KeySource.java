package dev.switchboard.api.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Signing keys, owned by whoever stores and rotates them: the current private key, and the public
 * keys still published (the current one and those whose tokens may still be in flight).
 */
public interface KeySource {

    RSAKey current();

    JWKSet published();
}
