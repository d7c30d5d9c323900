package de.shopmigration.bounce;

/**
 * An invocation that is not an SNS notification carrying an SES bounce or complaint as AWS
 * documents them. The message names the field that is wrong, never its value (the values are
 * addresses and email headers).
 */
public final class MalformedDeliveryEvent extends IllegalArgumentException {

    public MalformedDeliveryEvent(String message) {
        super(message);
    }

    public MalformedDeliveryEvent(String message, Throwable cause) {
        super(message, cause);
    }
}
