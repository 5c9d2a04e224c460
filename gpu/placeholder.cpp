// gpu layer host side: populated by the device batch layout.
namespace megabatch::gpu {}
