package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.checkpointservice.ra.config.Setting;
import io.checkpointservice.ra.config.Settings;
import jakarta.resource.spi.ConfigProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JCA config properties are the declared settings: every adapter setting has exactly one
 * {@code @ConfigProperty} field on the resource adapter, with a public String getter and setter
 * (JavaBean rules), and vice versa; likewise for the connection factory. The annotations carry
 * no default or description of their own, so the declaration stays the only one.
 */
class ConfigPropertiesTest {

    @Test
    void resourceAdapterPropertiesAreTheAdapterSettings() {
        assertSameProperties(CheckpointResourceAdapter.class, Setting.Scope.ADAPTER);
    }

    @Test
    void connectionFactoryPropertiesAreTheFactorySettings() {
        assertSameProperties(CheckpointManagedConnectionFactory.class, Setting.Scope.CONNECTION_FACTORY);
    }

    private static void assertSameProperties(Class<?> bean, Setting.Scope scope) {
        List<String> problems = new ArrayList<>();
        List<String> declared = Settings.of(scope).stream().map(Setting::name).sorted().toList();
        List<String> properties = Arrays.stream(bean.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(ConfigProperty.class)).map(Field::getName).sorted().toList();
        if (!declared.equals(properties)) {
            problems.add("@ConfigProperty fields " + properties + " differ from the declared settings " + declared);
        }
        for (Setting<?> setting : Settings.of(scope)) {
            try {
                Field field = bean.getDeclaredField(setting.name());
                ConfigProperty annotation = field.getAnnotation(ConfigProperty.class);
                if (annotation == null) {
                    continue; // reported above
                }
                if (field.getType() != String.class) {
                    problems.add(setting + " is a " + field.getType().getSimpleName() + ", not a String");
                }
                if (annotation.confidential() != setting.isSecret()) {
                    problems.add(setting + ": confidential should be " + setting.isSecret());
                }
                if (!annotation.defaultValue().isEmpty() || annotation.description().length > 0) {
                    problems.add(setting + ": the annotation repeats a default or description; Settings has them");
                }
                String capitalized = Character.toUpperCase(setting.name().charAt(0)) + setting.name().substring(1);
                if (bean.getMethod("get" + capitalized).getReturnType() != String.class
                        || !Modifier.isPublic(bean.getMethod("set" + capitalized, String.class).getModifiers())) {
                    problems.add(setting + ": needs public String get" + capitalized + "() and set" + capitalized + "(String)");
                }
            } catch (NoSuchFieldException | NoSuchMethodException e) {
                problems.add(setting + ": " + e);
            }
        }
        assertEquals(List.of(), problems, bean.getSimpleName() + "'s config properties and Settings should agree");
    }
}
