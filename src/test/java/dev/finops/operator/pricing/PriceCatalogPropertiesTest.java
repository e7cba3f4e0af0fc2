package dev.finops.operator.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.Money;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The price CSV parser over thousands of generated catalogs and near misses: a catalog written out with exact
 * prices reads back exactly, whatever the line endings and blank or comment lines; anything else is refused with
 * its source and line, never another exception.
 */
class PriceCatalogPropertiesTest {

    @Property(tries = 3000)
    void aCatalogWrittenOutReadsBackExactly(@ForAll("catalogs") List<InstancePrice> rows,
            @ForAll("lineEndings") String newline, @ForAll boolean withCurrency) {
        StringBuilder csv = new StringBuilder("# generated" + newline + newline);
        if (withCurrency) {
            csv.append("currency,EUR").append(newline);
        }
        rows.forEach(row -> csv.append(line(row)).append(newline));

        PriceCatalog catalog = PriceCatalog.parse(csv.toString(), "generated");

        Map<String, InstancePrice> expected = rows.stream()
                .collect(Collectors.toMap(InstancePrice::instanceType, Function.identity(), (a, b) -> b));
        assertThat(catalog.size()).isEqualTo(expected.size());
        expected.forEach((type, row) -> assertThat(catalog.find(type)).contains(row));
        assertThat(catalog.currency().isPresent()).isEqualTo(withCurrency);
    }

    @Property(tries = 5000)
    void anyTextParsesOrIsRefusedNamingItsLine(@ForAll("csvLikeText") String csv) {
        try {
            PriceCatalog catalog = PriceCatalog.parse(csv, "ConfigMap x/y");
            assertThat(catalog.size()).isNotNegative();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).matches("(?s)ConfigMap x/y line [0-9]+: .+");
        }
    }

    private static String line(InstancePrice row) {
        return String.join(",", "aws", row.instanceType(), row.gpuModel(), Integer.toString(row.gpus()),
                price(row.onDemandMicros()), price(row.spotMicros()), price(row.reservedMicros()));
    }

    private static String price(long micros) {
        return micros == InstancePrice.UNKNOWN ? "" : Money.formatExact(micros);
    }

    @Provide
    Arbitrary<List<InstancePrice>> catalogs() {
        Arbitrary<Long> price = Arbitraries.oneOf(Arbitraries.longs().between(0, PriceCatalog.MAX_MICROS_PER_HOUR),
                Arbitraries.just(InstancePrice.UNKNOWN));
        Arbitrary<InstancePrice> row = Combinators.combine(
                Arbitraries.strings().withChars("abcdefgpx0123456789.-_").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars("NVIDIA H100A 80GB").ofMaxLength(16).map(String::strip),
                Arbitraries.integers().between(0, 9999), price, price, price)
                .as(InstancePrice::new);
        return row.list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> lineEndings() {
        return Arbitraries.of("\n", "\r\n", "\r");
    }

    @Provide
    Arbitrary<String> csvLikeText() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789.eE+- x").ofMaxLength(8),
                Arbitraries.of("", "p4d.24xlarge", "1e12", "98.32", "currency", "USD", "#"));
        Arbitrary<String> line = field.list().ofMinSize(1).ofMaxSize(9).map(fields -> String.join(",", fields));
        return Arbitraries.oneOf(line.list().ofMaxSize(5).map(lines -> String.join("\n", lines)),
                Arbitraries.strings().ofMaxLength(40));
    }
}
