using KvmPS.Interop;
using Newtonsoft.Json;

namespace KvmPS.Kvm.X86;

/// <summary>
/// The JSON files Export-KvmVcpuState and Export-KvmVmState write: indented, byte arrays as base64, read back with the
/// same errors for a missing, unreadable or empty file.
/// </summary>
internal static class StateFile
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        Formatting = Formatting.Indented,
        ObjectCreationHandling = ObjectCreationHandling.Replace,
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    public static void Write<T>(T state, string path) where T : class
    {
        ArgumentNullException.ThrowIfNull(state);
        File.WriteAllText(path, JsonConvert.SerializeObject(state, Settings));
    }

    /// <summary>
    /// The state in <paramref name="path"/>, or <paramref name="notFoundId"/> / <paramref name="invalidId"/> errors
    /// naming <paramref name="what"/> (e.g. "vCPU state").
    /// </summary>
    public static T Read<T>(string path, string what, string notFoundId, string invalidId, JsonSerializerSettings? settings = null) where T : class
    {
        if (!File.Exists(path))
        {
            throw new KvmPSException(notFoundId, ErrorKind.ObjectNotFound, $"There is no {what} file '{path}'.");
        }
        T? state;
        try
        {
            state = JsonConvert.DeserializeObject<T>(File.ReadAllText(path), settings ?? Settings);
        }
        catch (Exception e) when (e is JsonException or KvmPSException)
        {
            throw new KvmPSException(invalidId, ErrorKind.InvalidArgument, $"'{path}' is not a {what} file: {e.Message}", e);
        }
        return state ?? throw new KvmPSException(invalidId, ErrorKind.InvalidArgument, $"'{path}' is empty.");
    }
}
