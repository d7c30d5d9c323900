package de.shopmigration.core.store;

import static de.shopmigration.core.store.AttributeValues.s;

import de.shopmigration.core.mail.Attachment;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The documents of a migration ({@code DOC#kind}): attachments the documents function writes for later emails. */
public final class DocumentStore {

    private final Table table;

    DocumentStore(Table table) {
        this.table = table;
    }

    /** Stores a document of a migration (a few KB; DynamoDB items hold up to 400 KB). */
    public void put(String migrationId, String kind, Attachment document) {
        table.put(b -> b.item(Map.of("pk", s(Items.pk(migrationId)), "sk", s(Items.DOCUMENT + kind),
                "filename", s(document.filename()), "contentType", s(document.contentType()),
                "content", AttributeValue.fromB(SdkBytes.fromByteArray(document.content())))));
    }

    public Optional<Attachment> find(String migrationId, String kind) {
        return table.get(Items.key(migrationId, Items.DOCUMENT + kind)).map(item -> new Attachment(item.get("filename").s(),
                item.get("contentType").s(), item.get("content").b().asByteArray()));
    }
}
