package dev.switchboard.notify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** Wraps an interface's implementation so that a test can watch or hold back some of its calls. */
final class Intercept {

    /** Decides one call on the wrapper; {@code method.invoke(target, args)} passes it through. */
    interface Handler {
        Object invoke(Method method, Object[] args) throws Exception;
    }

    private Intercept() {}

    /** {@code target} behind {@code handler}; {@link Object}'s methods always go straight to the target. */
    static <T> T proxy(Class<T> type, T target, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) return method.invoke(target, args);
            try {
                return handler.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
