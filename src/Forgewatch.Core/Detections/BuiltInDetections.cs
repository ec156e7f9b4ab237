using Forgewatch.Core.Engine;

namespace Forgewatch.Core.Detections;

/// <summary>Every built-in detection, in id order; each has a page under docs/detections/.</summary>
public static class BuiltInDetections
{
    public static IReadOnlyList<IDetection> Create() =>
    [
        new FirstSeenMailClient(),
        new UnlinkedMailSession(),
        new IndicatorMatch(),
        new SyncBurstFromRareIp(),
        new ManyMailboxesByOneActor(),
        new UnusualAccessHour(),
        new MailboxTakeoverStep(),
        new PasswordSprayThenSignIn(),
    ];
}
