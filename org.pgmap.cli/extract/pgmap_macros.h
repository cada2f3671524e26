/*
 * pgmap extract: kernel macros spatch's own standard.h does not know and cannot parse as they
 * are used, given here as something it can parse (spatch --macro-file). Each is named with the
 * kernel file that uses it. A driver that spatch cannot parse because of a macro gets an
 * entry here, not a guess in extract.py.
 */
/* include/drm/drm_exec.h: a loop with a label inside (kfd_svm.c, xe, amdgpu) */
#define drm_exec_until_all_locked(exec) for (;;)
#define drm_exec_retry_on_contention(exec) do { } while (0)
