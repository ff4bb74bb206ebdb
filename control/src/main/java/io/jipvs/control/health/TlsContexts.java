package io.jipvs.control.health;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The two TLS client contexts every https check shares: one verifying the certificate chain
 * against the JDK's trusted roots and the name (SNI name, else the address), one that verifies
 * nothing (tlsVerify: false, for self-signed servers; keepalived's SSL_GET verifies nothing).
 */
final class TlsContexts {
    private volatile SslContext verifying;
    private volatile SslContext trusting;

    SslContext context(boolean verify) {
        try {
            if (verify) {
                SslContext c = verifying;
                if (c == null) {
                    c = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                    verifying = c;
                }
                return c;
            }
            SslContext c = trusting;
            if (c == null) {
                c = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .endpointIdentificationAlgorithm(null).build();
                trusting = c;
            }
            return c;
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }
}
