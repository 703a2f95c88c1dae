package io.snapbus.jobs.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a path variable longer than any name can be (Doris: 64 characters for names, 128 for labels) before a
 * controller runs, so no lookup or message ever handles a huge one.
 */
@Configuration
public class PathVariableLimit implements WebMvcConfigurer, HandlerInterceptor {
    /** The longest path variable answered: a label's 128 characters. */
    static final int MAX_CHARS = 128;

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                String value = String.valueOf(variable.getValue());
                if (value.length() > MAX_CHARS) {
                    throw ApiException.badRequest("'" + variable.getKey() + "' has " + value.length()
                            + " characters; at most " + MAX_CHARS + " are allowed: " + UserInput.clip(value));
                }
            }
        }
        return true;
    }
}
