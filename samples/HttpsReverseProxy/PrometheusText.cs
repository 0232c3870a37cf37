using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using WarpDrive.Scheduling.Diagnostics;

namespace HttpsReverseProxy;

/// <summary>
/// <c>/metrics</c>: the proxy's and WarpDrive's meters of this host (its <see cref="IMeterFactory"/>) in the
/// Prometheus text format — counters as <c>_total</c>, up-down counters and gauges as gauges, histograms as
/// <c>_sum</c>/<c>_count</c>. Kept per host rather than in a process-wide registry, so two proxies in one
/// process (as in the tests) each report their own.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    // Keyed by the tags as they come (no string built per measurement: a proxied response records several).
    private readonly ConcurrentDictionary<(Instrument Instrument, TagSet Tags), Series> _series = new();

    public PrometheusText(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name is WarpDriveMetrics.MeterName or ProxyStatistics.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The current values, one series per line.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            string name = instrument.Name.Replace('.', '_');
            var (type, suffix) = instrument switch
            {
                Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => ("counter", "_total"),
                Histogram<double> or Histogram<long> => ("summary", ""),
                _ => ("gauge", ""),
            };
            if (instrument.Description is { } help)
                text.Append("# HELP ").Append(name).Append(suffix).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(suffix).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in group.Select(s => (Labels: Labels(s.Key.Tags), s.Value)).OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (type == "summary")
                {
                    text.Append(name).Append("_sum").Append(labels).Append(' ').Append(Format(series.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(labels).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
                else
                {
                    text.Append(name).Append(suffix).Append(labels).Append(' ').Append(Format(series.Sum)).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd((instrument, TagSet.From(tags)), static _ => new Series());
        // Observable instruments report their current value; the others report increments.
        if (instrument.IsObservable)
            series.Set(value);
        else
            series.Add(value);
    }

    /// <summary>The Prometheus label list, braces included, sorted by name; empty without tags.</summary>
    private static string Labels(TagSet tags)
    {
        var pairs = new List<string>(4);
        foreach (var (key, value) in tags.Pairs())
            pairs.Add($"{key.Replace('.', '_')}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        if (pairs.Count == 0)
            return "";
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Up to four tags by value (the instruments here have at most three), comparable without allocating.</summary>
    private readonly record struct TagSet(string? K1, string? V1, string? K2, string? V2, string? K3, string? V3, string? K4, string? V4)
    {
        public static TagSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(
            Key(tags, 0), Value(tags, 0), Key(tags, 1), Value(tags, 1), Key(tags, 2), Value(tags, 2), Key(tags, 3), Value(tags, 3));

        private static string? Key(ReadOnlySpan<KeyValuePair<string, object?>> tags, int i) => i < tags.Length ? tags[i].Key : null;

        // Our tag values are strings already: no conversion, no allocation.
        private static string? Value(ReadOnlySpan<KeyValuePair<string, object?>> tags, int i) =>
            i < tags.Length ? tags[i].Value as string ?? Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "" : null;

        public IEnumerable<(string Key, string Value)> Pairs()
        {
            if (K1 is not null) yield return (K1, V1!);
            if (K2 is not null) yield return (K2, V2!);
            if (K3 is not null) yield return (K3, V3!);
            if (K4 is not null) yield return (K4, V4!);
        }
    }

    private sealed class Series
    {
        private readonly Lock _lock = new();

        public double Sum { get; private set; }

        public long Count { get; private set; }

        public void Add(double value)
        {
            lock (_lock)
            {
                Sum += value;
                Count++;
            }
        }

        public void Set(double value)
        {
            lock (_lock)
            {
                Sum = value;
                Count = 1;
            }
        }
    }
}
