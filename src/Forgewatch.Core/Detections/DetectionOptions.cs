using System.Collections.Frozen;

namespace Forgewatch.Core.Detections;

/// <summary>Parameters of the built-in detections; defaults are those documented under docs/detections/.</summary>
public sealed record DetectionOptions
{
    /// <summary>How far back "never seen" looks (FW1001, FW1006) and rarity is counted (FW1004, FW1005).</summary>
    public TimeSpan BaselineWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Applications that never make a finding of their own (FW1001, FW1005).</summary>
    public FrozenSet<string> AllowedApps { get; init; } = FirstPartyMailApps.With([]);

    /// <summary>FW1002: how far back a sign-in may have created the session or token a mail access carries.</summary>
    public TimeSpan SignInLookback { get; init; } = TimeSpan.FromHours(24);

    /// <summary>FW1002: a sign-in logged this much after the access still counts (clocks and aggregation).</summary>
    public TimeSpan SignInTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>FW1004: distinct folders synced that make a burst.</summary>
    public int SyncBurstFolders { get; init; } = 8;

    /// <summary>FW1004: the window those folders are synced in.</summary>
    public TimeSpan SyncBurstWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>FW1004: an address is rare for a user with at most this many successful sign-ins in
    /// <see cref="BaselineWindow"/>.</summary>
    public int RareIpMaxSignIns { get; init; } = 10;

    /// <summary>FW1005: more than this many distinct mailboxes read by one actor...</summary>
    public int ManyMailboxesThreshold { get; init; } = 5;

    /// <summary>FW1005: ...within this window.</summary>
    public TimeSpan ManyMailboxesWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>FW1006: days with mail access a mailbox needs before its hours are a baseline.</summary>
    public int UnusualHourMinDays { get; init; } = 5;

    /// <summary>Findings of one detection and group further apart than this become separate alerts.</summary>
    public TimeSpan AlertMergeGap { get; init; } = TimeSpan.FromHours(24);

    /// <summary>FW1008: distinct users that must fail to sign in from one address within
    /// <see cref="SprayWindow"/> for a password spray.</summary>
    public int SprayUsers { get; init; } = 3;

    /// <summary>FW1008: the window the failures must fall in.</summary>
    public TimeSpan SprayWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>FW1008: how long after a spray a successful sign-in from its address is taken as its success.</summary>
    public TimeSpan SprayFollowUp { get; init; } = TimeSpan.FromHours(24);

    /// <summary>FW1008: an address from which at least this many distinct users signed in successfully within
    /// <see cref="BaselineWindow"/> is a shared one (an office, a gateway), where failures are not a spray.</summary>
    public int SprayKnownAddressUsers { get; init; } = 3;
}
