package routes.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import routes.send.SesErrorClassifier.Kind;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ses.model.SesException;

class SesErrorClassifierTest {

    private final SesErrorClassifier classifier = new SesErrorClassifier();

    @Test
    void sortsSesErrorCodes() {
        assertThat(classifier.classify(ses("Throttling"))).isEqualTo(Kind.THROTTLED);
        assertThat(classifier.classify(ses("MessageRejected"))).isEqualTo(Kind.PERMANENT);
        assertThat(classifier.classify(ses("MailFromDomainNotVerifiedException"))).isEqualTo(Kind.PERMANENT);
        assertThat(classifier.classify(ses("InvalidParameterValue"))).isEqualTo(Kind.PERMANENT);
        assertThat(classifier.classify(ses("TemplateDoesNotExist"))).isEqualTo(Kind.PERMANENT);
        assertThat(classifier.classify(ses("AccountSendingPausedException"))).isEqualTo(Kind.SENDING_PAUSED);
        assertThat(classifier.classify(ses("ConfigurationSetSendingPausedException"))).isEqualTo(Kind.SENDING_PAUSED);
        assertThat(classifier.classify(ses("ServiceUnavailable"))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void somethingSesDidNotAnswerIsTransient() {
        assertThat(classifier.classify(SdkClientException.create("connection reset", new IOException("reset"))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(classifier.classify((Throwable) null)).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void findsTheCodeInAWrappedFailure() {
        assertThat(classifier.classify(new IllegalStateException("wrapped", ses("Throttling")))).isEqualTo(Kind.THROTTLED);
    }

    private static SesException ses(String code) {
        return (SesException) SesException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }
}
