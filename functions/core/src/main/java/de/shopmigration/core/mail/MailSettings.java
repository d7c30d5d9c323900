package de.shopmigration.core.mail;

import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.Language;

/** Sender, reply-to and the provider's name and staff address, from the deployment. */
public record MailSettings(String sender, String replyTo, String providerName, String staffEmail,
                           Language staffLanguage, String configurationSet) {

    public static MailSettings from(Env env) {
        return new MailSettings(env.require("SENDER_EMAIL"),
                env.optional("REPLY_TO_EMAIL").orElse(env.require("STAFF_EMAIL")),
                env.optional("PROVIDER_NAME").orElse("Hosting"),
                env.require("STAFF_EMAIL"),
                Language.ofCode(env.optional("STAFF_LANGUAGE").orElse("de")),
                env.optional("SES_CONFIGURATION_SET").orElse(null));
    }
}
