using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using WarpDrive.Hosting;

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
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

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
            foreach (var (key, series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                string labels = key.Labels.Length == 0 ? "" : "{" + key.Labels + "}";
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
        var series = _series.GetOrAdd((instrument, Labels(tags)), _ => new Series());
        // Observable instruments report their current value; the others report increments.
        if (instrument.IsObservable)
            series.Set(value);
        else
            series.Add(value);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
            return "";
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            string value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{tag.Key.Replace('.', '_')}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

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
