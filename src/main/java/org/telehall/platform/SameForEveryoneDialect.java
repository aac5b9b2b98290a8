package org.telehall.platform;

import java.io.StringWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.dialect.AbstractProcessorDialect;
import org.thymeleaf.engine.AttributeName;
import org.thymeleaf.engine.TemplateManager;
import org.thymeleaf.model.IModel;
import org.thymeleaf.processor.IProcessor;
import org.thymeleaf.processor.element.AbstractAttributeModelProcessor;
import org.thymeleaf.processor.element.IElementModelStructureHandler;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * {@code <th:block hall:same-for-everyone="hall/shared-parts :: quick-actions"/>}: a fragment that
 * shows the same to every user in a language (links and texts, such as the home page's quick actions
 * or the footer), rendered once per language and then copied into each page. Thymeleaf's cost grows
 * with every element and attribute it walks, and rendering a page was the largest share of the home
 * page's CPU. Such a fragment must hold no user's data: it is rendered with the first request's
 * context, so never put a {@code ${…}} in one. With the template cache off (development) it is
 * rendered afresh every time.
 */
@Component
class SameForEveryoneDialect extends AbstractProcessorDialect {

    private final boolean cache;

    SameForEveryoneDialect(@Value("${spring.thymeleaf.cache:true}") boolean cache) {
        super("telehall", "hall", StandardDialect.PROCESSOR_PRECEDENCE);
        this.cache = cache;
    }

    @Override
    public Set<IProcessor> getProcessors(String dialectPrefix) {
        return Set.of(new SameForEveryone(dialectPrefix, cache));
    }

    private static final class SameForEveryone extends AbstractAttributeModelProcessor {

        private final boolean cache;
        private final ConcurrentMap<Rendered, String> rendered = new ConcurrentHashMap<>();

        SameForEveryone(String dialectPrefix, boolean cache) {
            super(TemplateMode.HTML, dialectPrefix, null, false, "same-for-everyone", true, 0, true);
            this.cache = cache;
        }

        @Override
        protected void doProcess(ITemplateContext context, IModel model, AttributeName attributeName, String fragment,
                                 IElementModelStructureHandler structureHandler) {
            Rendered key = new Rendered(fragment, context.getLocale());
            String html = cache ? rendered.get(key) : null;
            if (html == null) {
                html = render(context, fragment);
                if (cache) {
                    rendered.putIfAbsent(key, html);
                }
            }
            model.reset();
            model.add(context.getModelFactory().createText(html));
        }

        private static String render(ITemplateContext context, String fragment) {
            int selector = fragment.indexOf("::");
            if (selector < 0) {
                throw new IllegalArgumentException("same-for-everyone needs \"template :: fragment\", got \"" + fragment + "\"");
            }
            TemplateManager templates = context.getConfiguration().getTemplateManager();
            var model = templates.parseStandalone(context, fragment.substring(0, selector).trim(),
                    Set.of(fragment.substring(selector + 2).trim()), TemplateMode.HTML, true, true);
            StringWriter html = new StringWriter();
            templates.process(model, context, html);
            return html.toString();
        }
    }

    private record Rendered(String fragment, Locale locale) {
    }
}
