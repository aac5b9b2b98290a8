package org.telehall.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * TMF630 attribute selection: {@code ?fields=a,b} on any {@code /tmf-api} resource keeps only those
 * top-level attributes (plus {@code id}, {@code href} and {@code @type}, which identify the entity).
 */
@RestControllerAdvice
class TmfFieldsAdvice implements ResponseBodyAdvice<Object> {

    private static final Set<String> ALWAYS = Set.of("id", "href", "@type");
    private final JsonMapper json;

    TmfFieldsAdvice(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (body == null || !(request instanceof ServletServerHttpRequest servlet)
                || !servlet.getServletRequest().getRequestURI().startsWith("/tmf-api/")) {
            return body;
        }
        String fields = servlet.getServletRequest().getParameter("fields");
        if (fields == null || fields.isBlank()) {
            return body;
        }
        Set<String> keep = new LinkedHashSet<>(ALWAYS);
        for (String f : fields.split(",")) {
            if (!f.isBlank()) {
                keep.add(f.trim());
            }
        }
        if (body instanceof List<?> list) {
            List<Object> selected = new ArrayList<>(list.size());
            for (Object item : list) {
                selected.add(select(item, keep));
            }
            // a tree, not a List: written as a List the converter would apply the declared element type to the maps
            return json.valueToTree(selected);
        }
        return select(body, keep);
    }

    @SuppressWarnings("unchecked")
    private Object select(Object item, Set<String> keep) {
        Object tree = json.convertValue(item, Object.class);
        if (!(tree instanceof Map<?, ?> map)) {
            return item;
        }
        Map<String, Object> selected = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> {
            if (keep.contains(k)) {
                selected.put(k, v);
            }
        });
        return selected;
    }
}
