package dev.topoc.backends.networkd;

import java.util.List;

/**
 * The view model of one systemd unit file ({@code .netdev} or {@code .network}): a comment line and
 * sections of {@code Key=value} entries in the order they are written. Java decides every entry; the
 * {@code unit} template of {@code networkd.stg} only lays them out.
 */
public record UnitFile(String path, String comment, List<Section> sections) {
    public UnitFile {
        sections = List.copyOf(sections);
    }

    /** One {@code [Name]} section; a section may repeat (every {@code [Route]} is its own section). */
    public record Section(String name, List<Entry> entries) {
        public Section {
            entries = List.copyOf(entries);
        }
    }

    /** One {@code Key=value} line. */
    public record Entry(String key, String value) {}
}
