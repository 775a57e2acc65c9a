using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class KvmVfioDeviceTests
{
    [Fact]
    public void AddAndRemoveAGroupThroughOneDevicePerVm()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        using (KvmSession session = bed.Session())
        {
            KvmVm vm = session.CreateVm();
            Assert.Equal("KvmVfioDeviceNotFound", Assert.Throws<KvmPSException>(() => KvmVfioDevice.Existing(vm)).ErrorId);
            KvmVfioDevice vfio = KvmVfioDevice.For(vm);
            Assert.Same(vfio, KvmVfioDevice.For(vm));
            Assert.Same(vfio, KvmVfioDevice.Existing(vm));
            vfio.AddGroup(group);
            var device = Assert.IsType<KvmVfioDeviceDouble>(Assert.Single(bed.Kvm.Vms[0].Devices));
            Assert.Same(bed.Vfio.Groups[7], Assert.Single(device.Groups));
            Assert.Equal("KvmVfioGroupAlreadyAdded", Assert.Throws<KvmPSException>(() => vfio.AddGroup(group)).ErrorId);

            vfio.RemoveGroup(group);
            Assert.Empty(device.Groups);
            Assert.Equal("KvmVfioGroupNotAdded", Assert.Throws<KvmPSException>(() => vfio.RemoveGroup(group)).ErrorId);
            Assert.Equal("KvmVfioSpaprTceNotOnArchitecture",
                Assert.Throws<KvmPSException>(() => vfio.SetSpaprTce(group, group.Descriptor)).ErrorId);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void WithoutDeviceControlTheHostSaysSo()
    {
        using var bed = VfioTestBed.X86();
        bed.Kvm.Capabilities.Remove(KvmCapability.DeviceCtrl);
        using KvmSession session = bed.Session();
        KvmVm vm = session.CreateVm();
        Assert.Equal("KVM_CAP_DEVICE_CTRL.NotSupported", Assert.Throws<KvmPSException>(() => KvmVfioDevice.For(vm)).ErrorId);
    }

    [Fact]
    public void LinkAGroupToAKvmTceTableOnPower()
    {
        using var ppc = new PpcDouble();
        ppc.Kvm.Capabilities[KvmCapability.SpaprTceVfio] = 1;
        VfioDouble vfioHost = VfioDouble.AttachTo(ppc.Kernel, ppc.Kvm, VfioTestBed.SpaprTce, VfioTestBed.SpaprTceV2);
        vfioHost.AddGroup(7, true, VfioTestBed.Pci("0001:01:00.0"));
        using (VfioContainer container = VfioContainer.Open(ppc.Kernel.Kernel, 1, VfioDouble.ContainerPath, "/nonexistent"))
        {
            VfioGroup group = container.AttachGroup(7);
            container.SetIommu(VfioIommuType.SpaprTceV2);
            KvmVm vm = ppc.Session.CreateVm();
            // The order real hardware accepts: register the guest memory (which enables the v2 container), then link a
            // table that matches the default window (4K pages, bus offset 0, at most its 2 GiB).
            container.RegisterMemory(vm.AddMemoryRegion(0, 0x40_0000));
            SpaprTceTable table = SpaprTceTable.Create(vm, 0x80000000, windowSize: 0x4000_0000);
            KvmVfioDevice vfio = KvmVfioDevice.For(vm);
            Assert.Equal("KvmVfioGroupNotAdded", Assert.Throws<KvmPSException>(() => vfio.SetSpaprTce(group, table.Handle)).ErrorId);
            vfio.AddGroup(group);
            vfio.SetSpaprTce(group, table.Handle);
            var device = Assert.IsType<KvmVfioDeviceDouble>(Assert.Single(ppc.Kvm.Vms[0].Devices));
            var link = Assert.Single(device.TceLinks);
            Assert.Equal((vfioHost.Groups[7], table.Handle.Number), (link.Group, link.TableFd));
            Assert.Equal([table.Handle.Number], vfio.LinkedTceTableDescriptors);

            table.Dispose();
            Assert.Equal("KvmSpaprTceTableClosed", Assert.Throws<KvmPSException>(() => vfio.SetSpaprTce(group, table.Handle)).ErrorId);
            ppc.Session.RemoveVm(vm);
        }
        Assert.Equal([KvmDouble.DevicePath], ppc.Kernel.OpenFiles.Select(f => f.Name));   // only the session's /dev/kvm remains
    }

    [Fact]
    public void WithoutTheCapabilityTceLinkingIsNotSupported()
    {
        using var bed = VfioTestBed.Power();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        using (KvmSession session = bed.Session())
        {
            KvmVm vm = session.CreateVm();
            KvmVfioDevice vfio = KvmVfioDevice.For(vm);
            vfio.AddGroup(group);
            var e = Assert.Throws<KvmPSException>(() => vfio.SetSpaprTce(group, group.Descriptor));
            Assert.Equal("KVM_CAP_SPAPR_TCE_VFIO.NotSupported", e.ErrorId);
        }
    }

    [Fact]
    public void RemovingTheVmClosesTheDevice()
    {
        using var bed = VfioTestBed.X86();
        using KvmSession session = bed.Session();
        KvmVm vm = session.CreateVm();
        KvmVfioDevice vfio = KvmVfioDevice.For(vm);
        session.RemoveVm(vm);
        Assert.True(vfio.Device.Handle.IsClosed);
        session.Dispose();
        bed.AssertNoLeaks();
    }
}
