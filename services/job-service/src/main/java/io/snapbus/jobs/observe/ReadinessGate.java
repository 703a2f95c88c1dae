package io.snapbus.jobs.observe;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the REST API closed (503, an RFC 9457 problem) while the service is not ready: the web server listens before
 * the catalog and the jobs are replayed (so readiness can say DOWN), and again while it shuts down. The actuator's
 * endpoints stay open.
 */
@Component
public class ReadinessGate extends OncePerRequestFilter {
    private final ApplicationAvailability availability;

    public ReadinessGate(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"the job-service is not ready: the catalog and the jobs are being replayed (or it is"
                + " stopping); retry once /actuator/health/readiness is UP\",\"instance\":\""
                + request.getRequestURI().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
