package dev.gafail.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token rules, the same in every region: HS256, sub and exp, issuer and audience when configured. */
class AuthTest {

    private static Auth auth(String issuer) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "REGION", "region-a",
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/x", "DATABASE_USER", "u",
                "AUTH_JWT_SECRET", Client.SECRET, "AUTH_JWT_AUDIENCE", Client.AUDIENCE));
        env.put("AUTH_JWT_ISSUER", issuer);
        return new Auth(Config.fromEnvironment(env));
    }

    private static String signed(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(Client.SECRET));
        return "Bearer " + jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").audience(Client.AUDIENCE).issuer("https://idp")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String rejection(Auth auth, String header) {
        ApiException e = assertThrows(ApiException.class, () -> auth.subject(Optional.of(header)));
        assertEquals(401, e.status());
        return e.getMessage();
    }

    @Test
    void aGoodTokenNamesItsSubject() throws Exception {
        assertEquals("alice", auth("https://idp").subject(Optional.of(signed(claims().build()))));
    }

    @Test
    void wrongIssuerMissingClaimsUnsignedAndOtherSchemesAreRefused() throws Exception {
        Auth auth = auth("https://idp");

        rejection(auth, signed(claims().issuer("https://elsewhere").build()));
        rejection(auth, signed(claims().subject(null).build()));
        rejection(auth, signed(claims().expirationTime(null).build()));
        rejection(auth, "Bearer " + new PlainJWT(new PlainHeader(), claims().build()).serialize());
        assertEquals("the Authorization header must be 'Bearer <token>'", rejection(auth, "Basic YWxpY2U6cHc="));
    }
}
