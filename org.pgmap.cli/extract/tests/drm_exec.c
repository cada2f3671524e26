// pgmap extract test fixture: a macro loop spatch 1.1.1 cannot parse without pgmap_macros.h
// (drm_exec_until_all_locked has a label inside; include/drm/drm_exec.h).
static int reserve(struct drm_exec *exec, struct drm_gem_object *obj)
{
	int r;

	drm_exec_init(exec, 0, 0);
	drm_exec_until_all_locked(exec) {
		r = drm_exec_lock_obj(exec, obj);
		drm_exec_retry_on_contention(exec);
		if (r)
			goto out;
	}
	return 0;
out:
	drm_exec_fini(exec);
	return r;
}
