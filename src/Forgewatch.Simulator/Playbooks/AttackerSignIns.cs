using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>Sign-ins an attacker causes (failed guesses, stolen credentials, a phished consent), recorded as malicious.</summary>
internal sealed class AttackerSignIns(SimTenant tenant, SimRandom random, AttackRecorder recorder)
{
    public const string ScriptAgent = "python-requests/2.31.0";

    /// <summary>A sign-in of <paramref name="user"/> to <paramref name="appId"/>; returns its token. The device
    /// and browser follow the user agent (a script, or Edge on Windows); the location is the attacker's
    /// (Amsterdam) unless <paramref name="atTheirDesk"/>: the victim's own sign-in, from their office,
    /// looks like every other sign-in from there.</summary>
    public string Add(SimUser user, DateTime time, string appId, string appName, string address, string sessionId, bool interactive, int errorCode, DayBuffer buffer, string userAgent = ScriptAgent, bool atTheirDesk = false)
    {
        bool browser = userAgent == Client.Web.UserAgent;
        string token = random.Token();
        RecordRef record = buffer.Add(new SignIn
        {
            Time = time,
            Id = random.NextGuid(),
            TenantId = tenant.Id,
            UserDisplayName = user.DisplayName,
            Upn = user.Upn,
            UserId = user.ObjectId,
            AppId = appId,
            AppDisplayName = appName,
            IpAddress = address,
            ClientAppUsed = browser ? Client.Web.ClientAppUsed : "Mobile Apps and Desktop clients",
            UserAgent = userAgent,
            CorrelationId = random.NextGuid(),
            SessionId = sessionId,
            TokenId = token,
            Interactive = interactive,
            ErrorCode = errorCode,
            DeviceId = "",
            DeviceName = "",
            OperatingSystem = browser ? Client.Web.OperatingSystem : "Linux",
            Browser = browser ? Client.Web.Browser : "Python Requests 2.31",
            City = atTheirDesk ? "Arlington" : "Amsterdam",
            CountryOrRegion = atTheirDesk ? "US" : "NL",
        });
        recorder.Malicious(record);
        return token;
    }

    /// <summary>An application signing in as itself (client credentials); returns its token.</summary>
    public string AsApplication(string appId, string servicePrincipalId, string appName, DateTime time, string address, DayBuffer buffer)
    {
        string token = random.Token();
        RecordRef record = buffer.Add(SignIn.AsApplication(random, tenant.Id, appId, servicePrincipalId, appName, time, address, token, "Amsterdam", "NL"));
        recorder.Malicious(record);
        return token;
    }
}
