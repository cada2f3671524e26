package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Thread;

import com.google.inject.Inject;

/** The driver shapes of shared/domain.md are expressible and validate without errors. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ShapesTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	@Test
	public void bitmapUnderAGlobalLockWithAPerVmMutex() throws Exception {
		Model m = parser.parse("""
				spec kvm "a bitmap allocator under a global spinlock, inside a per-VM mutex"
				uses core v6_15
				pagemap gmem type MEMORY_DEVICE_COHERENT pages 2 ops gmem_drv
				driver gmem_drv {
					spinlock bitmap_lock
					mutex vm_lock[2]
					bitmap slots of gmem guarded by bitmap_lock
					alloc gmem_alloc(vm) {
						mutex_lock(vm_lock[vm])
						spin_lock(bitmap_lock)
						page = alloc_bit(slots) else {
							spin_unlock(bitmap_lock)
							mutex_unlock(vm_lock[vm])
							return none
						}
						spin_unlock(bitmap_lock)
						zone_device_page_init(page)
						page.zone_device_data = private
						mutex_unlock(vm_lock[vm])
						return page
					}
					op page_free gmem_free(page) {
						page.zone_device_data = null
						spin_lock(bitmap_lock)
						clear_bit(slots, page)
						spin_unlock(bitmap_lock)
					}
				}
				scenario two_vms {
					thread vm0 {
						p = gmem_alloc(0) else return
						unlock_page(p)
						put_page(p)
					}
					thread vm1 {
						p = gmem_alloc(1) else return
						unlock_page(p)
						put_page(p)
					}
				}
				""");
		validator.assertNoErrors(m);
		assertEquals(1, EcoreUtil2.getAllContentsOfType(m, Bitmap.class).size());
	}

	@Test
	public void genPoolWithMmapInsertionFaultPathAndPfnWalker() throws Exception {
		Model m = parser.parse("""
				spec p2p "a gen_pool of device pages mapped into user space, with a pfn walker"
				uses core v6_15
				pagemap bar type MEMORY_DEVICE_PCI_P2PDMA pages 2 ops p2p_drv
				driver p2p_drv {
					gen_pool pool of bar
					alloc p2p_alloc() {
						page = gen_pool_alloc(pool) else return none
						zone_device_page_init(page)
						return page
					}
					op page_free p2p_free(page) {
						gen_pool_free(pool, page)
					}
				}
				scenario mmap_and_walk {
					thread mapper {
						p = p2p_alloc() else return
						vm_insert_page(p)
						unlock_page(p)
						put_page(p)
						unmap_page(p)
					}
					thread walker {
						q = any_page(bar)
						get_page_unless_zero(q) else return
						put_page(q)
					}
				}
				""");
		validator.assertNoErrors(m);
		assertEquals(1, EcoreUtil2.getAllContentsOfType(m, GenPool.class).size());
	}

	@Test
	public void refcountedBackingObjectTwoPagemapsTeardownAndErrorPath() throws Exception {
		Model m = parser.parse("""
				spec chunks "a kref'd chunk backs each live page; two pagemaps; teardown"
				uses core v6_1
				pagemap vram0 type MEMORY_DEVICE_PRIVATE pages 1 ops drm
				pagemap vram1 type MEMORY_DEVICE_PRIVATE pages 1 ops drm
				driver drm {
					spinlock lock
					object chunk kref 1 covers vram0
					freelist free0 linked by zone_device_data guarded by lock holds vram0
					alloc drm_alloc() {
						spin_lock(lock)
						page = pop(free0) else {
							spin_unlock(lock)
							return none
						}
						spin_unlock(lock)
						kref_get(chunk)
						page.zone_device_data = chunk
						zone_device_page_init(page)
						return page
					}
					proc drm_copy_failed(page) {
						unlock_page(page)
						put_page(page)
					}
					op page_free drm_free(page) {
						kref_put(page.zone_device_data)
						spin_lock(lock)
						push(free0, page)
						spin_unlock(lock)
					}
					op migrate_to_ram drm_fault(page) {
						lock_page(page)
						unlock_page(page)
					}
				}
				scenario fault_and_teardown {
					thread user {
						p = drm_alloc() else return
						drm_copy_failed(p)
					}
					thread fault[2] {
						q = pfn_to_page(vram0, 0)
						get_page_unless_zero(q) else return
						drm_fault(q)
						put_page(q)
					}
					thread remove {
						repeat 2 {
							atomic {
								assert page_ref_count(pfn_to_page(vram1, 0)) == 0 "idle"
							}
						}
						memunmap_pages(vram1)
					}
				}
				""");
		validator.assertNoErrors(m);
		assertEquals(2, EcoreUtil2.getAllContentsOfType(m, Pagemap.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(m, DriverObject.class).size());
		assertEquals(2, EcoreUtil2.getAllContentsOfType(m, Thread.class).get(1).getCount());
	}
}
