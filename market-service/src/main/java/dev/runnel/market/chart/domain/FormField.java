package dev.runnel.market.chart.domain;

import java.util.List;

/**
 * One setting of an install form. Only the attributes the source states are set; the rest are null.
 *
 * @param path dotted path in the values ({@code image.tag}); keys that hold dots are written {@code
 *     podLabels["app.kubernetes.io/name"]}
 * @param key the last segment of the path
 * @param type {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code object} (a
 *     group with {@code fields}) or {@code array}
 * @param fields the nested settings of an object
 * @param items the type of an array's items, when known
 */
public record FormField(
    String path,
    String key,
    String type,
    String title,
    String description,
    Object defaultValue,
    List<Object> enumValues,
    boolean required,
    Number minimum,
    Number maximum,
    Integer minLength,
    Integer maxLength,
    String pattern,
    String items,
    List<FormField> fields) {}
