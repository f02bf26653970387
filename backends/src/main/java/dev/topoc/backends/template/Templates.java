package dev.topoc.backends.template;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stringtemplate.v4.Interpreter;
import org.stringtemplate.v4.ModelAdaptor;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;
import org.stringtemplate.v4.misc.STNoSuchPropertyException;

/**
 * Loads a backend's StringTemplate group from the classpath, set up the way every backend wants it:
 * view models are Java records (read through their accessors), and any template error fails loudly.
 */
public final class Templates {
    private Templates() {}

    /** Loads {@code resource} (e.g. {@code /dev/topoc/backends/nft/nft.stg}) relative to the classpath root. */
    public static STGroup load(String resource) {
        var url = Templates.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("template group not found: " + resource);
        }
        STGroup g = new STGroupFile(url, "UTF-8", '<', '>');
        g.setListener(new FailingErrorListener());
        g.registerModelAdaptor(Record.class, new RecordAdaptor());
        return g;
    }

    /** Renders template {@code name} of {@code group} with one attribute. */
    public static String render(STGroup group, String name, String attribute, Object value) {
        ST st = group.getInstanceOf(name);
        if (st == null) {
            throw new IllegalStateException("no template " + name);
        }
        st.add(attribute, value);
        return st.render();
    }

    /** Reads a record component by calling its accessor (or a public no-argument method of the record). */
    static final class RecordAdaptor implements ModelAdaptor<Record> {
        private static final ClassValue<Map<String, Method>> CACHE = new ClassValue<>() {
            @Override
            protected Map<String, Method> computeValue(Class<?> type) {
                return new ConcurrentHashMap<>();
            }
        };

        @Override
        public Object getProperty(Interpreter interp, ST self, Record model, Object property, String propertyName)
                throws STNoSuchPropertyException {
            try {
                Method m = CACHE.get(model.getClass()).computeIfAbsent(propertyName, k -> accessor(model.getClass(), propertyName));
                if (m == null) {
                    throw new STNoSuchPropertyException(null, model, propertyName);
                }
                return m.invoke(model);
            } catch (ReflectiveOperationException e) {
                throw new STNoSuchPropertyException(e, model, propertyName);
            }
        }

        private static Method accessor(Class<?> type, String name) {
            for (var c : type.getRecordComponents()) {
                if (c.getName().equals(name)) {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    return m;
                }
            }
            try { // a derived view value: a public method without parameters
                Method m = type.getMethod(name);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }
}
