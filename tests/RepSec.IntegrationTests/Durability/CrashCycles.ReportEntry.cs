using System.Globalization;
using System.Text.Json;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Durability;

// The reputation ledger's entry: one report a writer made or tried to make, and where it stands.
public sealed partial class CrashCycles
{
    private enum ReportState
    {
        Reporting,
        Counted,
        Superseded,
        Withdrawing,
        Withdrawn,
        NeverReported,
    }

    /// <summary>One report a writer made or tried to make, and where it stands.</summary>
    private sealed class ReportEntry(int writer, string entity, string assertion, double rating, double confidence, string evidence)
    {
        public int Writer { get; } = writer;

        public string Entity { get; } = entity;

        public string Assertion { get; } = assertion;

        public double Rating { get; } = rating;

        public double Confidence { get; } = confidence;

        public string Evidence { get; } = evidence;

        public ReportState State { get; set; } = ReportState.Reporting;

        public long Id { get; private set; } = -1;

        public string? ReportedAt { get; private set; }

        /// <summary>While in flight: the writer's counted report it supersedes if it lands.</summary>
        public ReportEntry? Previous { get; set; }

        /// <summary>The report is stored and counts; returns the report it superseded, if any.</summary>
        public ReportEntry? Land(long id, string reportedAt)
        {
            (Id, ReportedAt, State) = (id, reportedAt, ReportState.Counted);
            var previous = Previous;
            Previous = null;
            if (previous is not null)
            {
                previous.State = ReportState.Superseded;
            }

            return previous;
        }

        public bool Matches(JsonElement shown, string reporter) =>
            shown.Str("assertion") == Assertion && shown.GetProperty("rating").GetDouble() == Rating
            && shown.GetProperty("confidence").GetDouble() == Confidence && shown.Str("reporter") == reporter
            && shown.GetProperty("evidence").GetString() == Evidence && shown.Str("reported_at") == ReportedAt;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Assertion} {Rating} confidence {Confidence} at {ReportedAt}, evidence '{Evidence}'");
    }
}
