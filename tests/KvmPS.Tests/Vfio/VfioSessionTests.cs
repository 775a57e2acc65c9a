using KvmPS.Interop;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class VfioSessionTests
{
    [Fact]
    public void TracksContainersAndReleasesThemOnDispose()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(7, true, VfioTestBed.Pci("0000:01:00.0"));
        var session = new VfioSession(bed.Kernel.Kernel, VfioDouble.ContainerPath, bed.SysfsRoot);
        VfioContainer first = session.OpenContainer();
        VfioContainer second = session.OpenContainer();
        Assert.Equal([1, 2], session.Containers.Select(c => c.Id));
        Assert.Same(second, session.GetContainer(2));
        Assert.Equal("VfioContainerNotOpen", Assert.Throws<KvmPSException>(() => session.GetContainer(3)).ErrorId);
        Assert.Equal(bed.SysfsRoot, session.IommuGroups.SysfsRoot);
        Assert.Equal("/dev/vfio", session.IommuGroups.DeviceDirectory);

        session.CloseContainer(second);
        Assert.True(second.IsClosed);
        first.AttachGroup(7);
        session.Dispose();
        Assert.True(first.IsClosed);
        Assert.Empty(session.Containers);
        bed.AssertNoLeaks();
    }

    [Fact]
    public void AFailedOpenRegistersNothing()
    {
        using var bed = VfioTestBed.X86();
        using var session = new VfioSession(bed.Kernel.Kernel, "/dev/vfio/missing");
        Assert.Equal("VfioContainerNotFound", Assert.Throws<KvmPSException>(session.OpenContainer).ErrorId);
        Assert.Empty(session.Containers);
    }

    [Fact]
    public void TheDefaultSessionCanBeReset()
    {
        VfioSession session = VfioSession.Default;
        Assert.Same(session, VfioSession.Default);
        VfioSession.ResetDefault();
        Assert.NotSame(session, VfioSession.Default);
        VfioSession.ResetDefault();
    }
}
