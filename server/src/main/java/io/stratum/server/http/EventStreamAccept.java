package io.stratum.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The event stream answers with events whatever the client's {@code Accept} says ({@code curl URL} sends {@code *}/{@code *}):
 * Javalin's SSE handler only streams to a request that accepts exactly {@code text/event-stream}, and answers others
 * with an empty 200.
 */
final class EventStreamAccept implements Filter {
    static final String PATH = "/v1/events/stream";
    private static final String EVENT_STREAM = "text/event-stream";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
            @Override
            public String getHeader(String name) {
                return "Accept".equalsIgnoreCase(name) ? EVENT_STREAM : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Accept".equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(EVENT_STREAM)) : super.getHeaders(name);
            }
        }, response);
    }
}
