package io.jipvs.cli.serve;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * /metrics through the official client's scrape handler (format negotiation: text or
 * OpenMetrics, gzip, {@code name[]} filters), adapted to a Netty request and response.
 */
final class Scrape {
    private final PrometheusScrapeHandler handler;

    Scrape(PrometheusRegistry registry) {
        this.handler = new PrometheusScrapeHandler(registry);
    }

    FullHttpResponse handle(FullHttpRequest request) throws IOException {
        Exchange x = new Exchange(request);
        try {
            handler.handleRequest(x);
        } catch (IOException | RuntimeException e) {
            x.release();
            throw e;
        }
        if (x.failure != null) {
            x.release();
            throw x.failure;
        }
        if (x.response == null) {
            throw new IOException("the scrape handler sent no response");
        }
        return x.response;
    }

    private static final class Exchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
        private final FullHttpRequest request;
        private final QueryStringDecoder query;
        private final HttpHeaders headers = new DefaultHttpHeaders();
        private FullHttpResponse response;
        private RuntimeException failure;

        Exchange(FullHttpRequest request) {
            this.request = request;
            this.query = new QueryStringDecoder(request.uri());
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            failure = e;
        }

        @Override
        public void close() {
        }

        @Override
        public String getQueryString() {
            String uri = request.uri();
            int q = uri.indexOf('?');
            return q < 0 ? null : uri.substring(q + 1);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            List<String> values = request.headers().getAll(name);
            return values.isEmpty() ? null : Collections.enumeration(values);
        }

        @Override
        public String getMethod() {
            return request.method().name();
        }

        @Override
        public String getRequestPath() {
            return query.path();
        }

        @Override
        public void setHeader(String name, String value) {
            headers.set(name, value);
        }

        /**
         * The body outside the heap, from Netty's allocator (a 2,000 x 4 table's text is 14 MB,
         * which the heap would otherwise collect once per scrape): of the length the handler
         * gives when it has the whole text, growing as written when it compresses as it goes
         * (gzip, as Prometheus asks). Netty releases it once written.
         */
        @Override
        public OutputStream sendHeadersAndGetBody(int status, int contentLength) {
            ByteBuf body = contentLength > 0 ? PooledByteBufAllocator.DEFAULT.directBuffer(contentLength)
                    : PooledByteBufAllocator.DEFAULT.directBuffer();
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
            response.headers().set(headers);
            return new ByteBufOutputStream(body);
        }

        void release() {
            if (response != null) {
                response.release();
            }
        }
    }
}
