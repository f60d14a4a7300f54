package dev.gafail.lab.aws.wire;

import com.ctc.wstx.api.InvalidCharHandler;
import com.ctc.wstx.api.WstxOutputProperties;
import com.ctc.wstx.stax.WstxOutputFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

/**
 * The Jackson mappers of the three formats the protocols carry, each writing a timestamp as its
 * protocols want it. A service puts a timestamp in its output as an {@link Instant} ({@code
 * putPOJO}), never as text, and each format writes it: AWS Query as ISO 8601 text, the JSON protocols
 * as epoch seconds (a number with milliseconds), RPCv2 CBOR as tag 1 (epoch-based date/time) on a
 * double of epoch seconds. A blob is a {@code byte[]} ({@code BinaryNode}): base64 text in JSON and
 * XML, a byte string in CBOR.
 */
final class Mappers {

    static final JsonMapper JSON = JsonMapper.builder()
            .addModule(timestamps((time, out) -> out.writeNumber(BigDecimal.valueOf(time.toEpochMilli(), 3))))
            .build();
    static final CBORMapper CBOR = CBORMapper.builder()
            .addModule(timestamps((time, out) -> {
                ((CBORGenerator) out).writeTag(1);
                out.writeNumber(time.toEpochMilli() / 1000.0);
            }))
            .build();
    static final XmlMapper XML = XmlMapper.builder(XmlFactory.builder().xmlOutputFactory(xmlOutput()).build())
            .addModule(timestamps((time, out) -> out.writeString(time.truncatedTo(ChronoUnit.MILLIS).toString())))
            .build();

    private Mappers() {
    }

    private static SimpleModule timestamps(BiConsumer<Instant, JsonGenerator> write) {
        return new SimpleModule("aws-timestamps").addSerializer(Instant.class, new ValueSerializer<Instant>() {
            @Override
            public void serialize(Instant value, JsonGenerator out, SerializationContext context) {
                write.accept(value, out);
            }
        });
    }

    /** Characters XML 1.0 cannot carry (control characters in a message) become U+FFFD rather than failing the reply. */
    private static WstxOutputFactory xmlOutput() {
        WstxOutputFactory factory = new WstxOutputFactory();
        factory.setProperty(WstxOutputProperties.P_OUTPUT_INVALID_CHAR_HANDLER,
                new InvalidCharHandler.ReplacingHandler('\uFFFD'));
        return factory;
    }
}
