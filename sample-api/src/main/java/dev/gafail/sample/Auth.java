package dev.gafail.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens: HS256 JWTs signed with the shared secret, with {@code sub} and {@code exp}, and
 * the issuer and audience when configured. The same in every region, so a client's token works
 * after a failover.
 */
final class Auth {

    private final MACVerifier signature;
    private final DefaultJWTClaimsVerifier<?> claims;

    Auth(Config config) {
        try {
            this.signature = new MACVerifier(config.jwtSecret());
        } catch (JOSEException e) {
            throw new Config.InvalidSetting("AUTH_JWT_SECRET", e.getMessage());
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        config.jwtIssuer().ifPresent(exact::issuer);
        this.claims = new DefaultJWTClaimsVerifier<>(config.jwtAudience().orElse(null), exact.build(),
                Set.of("sub", "exp"));
        this.claims.setMaxClockSkew(30);
    }

    /** The token's subject, or 401 saying what is wrong with it (never echoing the token). */
    String subject(Optional<String> authorization) {
        String header = authorization.orElseThrow(() -> ApiException.unauthorized("missing bearer token"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(header.substring(7).trim());
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw ApiException.unauthorized("token must be signed with HS256");
            }
            if (!jwt.verify(signature)) {
                throw ApiException.unauthorized("token signature is not valid");
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            claims.verify(set, null);
            return set.getSubject();
        } catch (ParseException e) {
            throw ApiException.unauthorized("token is not a JWT");
        } catch (BadJWTException e) {
            throw ApiException.unauthorized("token rejected: " + e.getMessage());
        } catch (JOSEException e) {
            throw ApiException.unauthorized("token cannot be verified");
        }
    }
}
