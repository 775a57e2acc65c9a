using System.Numerics;
using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Interop.Handles;

namespace KvmPS.Vfio.Iommu;

/// <summary>
/// The IOMMU model behind a container, chosen by VFIO_SET_IOMMU (as QEMU's hw/vfio picks a VFIOIOMMUClass): what it
/// does once set, what it reports, and how it places a DMA mapping. The container holds the lock, the groups and the
/// mappings and calls a backend only under its lock; a backend holds what only its model has (sPAPR windows, v2
/// registrations) and forgets it when the kernel drops the model (<see cref="Release"/>).
/// </summary>
internal abstract class VfioIommuBackend(VfioContainer container, VfioIommuType type)
{
    public VfioContainer Container { get; } = container;

    public VfioIommuType Type { get; } = type;

    public static VfioIommuBackend For(VfioContainer container, VfioIommuType type) => type switch
    {
        VfioIommuType.Type1 or VfioIommuType.Type1v2 => new VfioType1Backend(container, type),
        VfioIommuType.SpaprTce => new VfioSpaprTceV1Backend(container),
        VfioIommuType.SpaprTceV2 => new VfioSpaprTceV2Backend(container),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No VFIO IOMMU backend for this type."),
    };

    /// <summary>What the model needs right after VFIO_SET_IOMMU succeeded.</summary>
    public virtual void Initialize()
    {
    }

    /// <summary>Refuses, before the group is opened, a further group the model cannot take.</summary>
    public virtual void CheckCanAttach(int groupId)
    {
    }

    /// <summary>VFIO_IOMMU_GET_INFO or VFIO_IOMMU_SPAPR_TCE_GET_INFO, whichever the model answers.</summary>
    public abstract VfioIommuInfo GetInfo();

    /// <summary>The checks of a VFIO_IOMMU_MAP_DMA's host range that come before its IOVA is looked at.</summary>
    public abstract void CheckMapRange(ulong hostAddress, ulong size);

    /// <summary>
    /// The IOMMU page that iova, size and address of a VFIO_IOMMU_MAP_DMA must be multiples of, once the model's own
    /// placement rules accepted the mapping.
    /// </summary>
    public abstract ulong MapAlignment(ulong hostAddress, ulong size, ulong iova);

    /// <summary>After a successful VFIO_IOMMU_MAP_DMA or UNMAP_DMA.</summary>
    public virtual void OnDmaIoctl()
    {
    }

    /// <summary>The last group left or the container closed: the kernel released the model and all it held.</summary>
    public virtual void Release()
    {
    }

    protected int Id => Container.Id;

    protected KernelInterface Kernel => Container.Kernel;

    protected VfioContainerHandle Handle => Container.Handle;

    protected int HostPageShift => BitOperations.TrailingZeroCount((uint)Kernel.PageSize);

    protected static uint Argsz<T>() where T : unmanaged => (uint)Unsafe.SizeOf<T>();

    /// <summary>Host memory ranges given to the kernel whole (registration, Type1 maps): PAGE_SIZE aligned, non-empty.</summary>
    protected void CheckHostRange(ulong hostAddress, ulong size)
    {
        ulong page = (ulong)Kernel.PageSize;
        if (size == 0 || size % page != 0 || hostAddress % page != 0)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryNotPageAligned",
                $"Address 0x{hostAddress:X} and size 0x{size:X} must be non-zero multiples of the {page}-byte host page size.");
        }
        new AddressRange(hostAddress, size).ThrowIfWraps("VfioMemoryRangeWraps", "The host range");
    }
}
