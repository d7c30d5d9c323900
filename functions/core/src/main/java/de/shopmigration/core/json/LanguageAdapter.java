package de.shopmigration.core.json;

import de.shopmigration.core.Language;

import io.avaje.json.JsonAdapter;
import io.avaje.json.JsonDataException;
import io.avaje.json.JsonReader;
import io.avaje.json.JsonWriter;
import io.avaje.jsonb.CustomAdapter;

/**
 * The language as "de" / "en". Not avaje's generated {@code @Json.Value} adapter: that one fills
 * static maps in its constructor unguarded, and two threads binding their first record at once
 * (the local cloud runs a handler on many threads) failed with "Duplicate value de".
 */
@CustomAdapter
public final class LanguageAdapter implements JsonAdapter<Language> {

    @Override
    public void toJson(JsonWriter writer, Language value) {
        if (value == null) {
            writer.nullValue();
        } else {
            writer.value(value.code());
        }
    }

    @Override
    public Language fromJson(JsonReader reader) {
        if (reader.isNullValue()) {
            return null;
        }
        String code = reader.readString();
        for (Language language : Language.values()) {
            if (language.code().equals(code)) {
                return language;
            }
        }
        throw new JsonDataException("Unknown language '" + code + "' (de or en)");
    }
}
