package org.pgmap.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.pgmap.engine.Escape;

/**
 * The folder generate writes into (--out DIR) and its spec folders DIR/NAME. A file is first
 * written to a temporary file beside it, flushed to disk, then renamed over the old one, so a
 * failed write (a full disk) leaves the old file as it was. No symbolic link below DIR is
 * followed: a link where a spec folder or a file goes is an error that names it.
 */
public final class OutputFolder {

	/** A file or folder that cannot be written; the message names it and says why. */
	public static final class WriteError extends Exception {
		private static final long serialVersionUID = 1L;

		WriteError(String message) {
			super(message);
		}
	}

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path root;

	public OutputFolder(Path root) {
		this.root = root;
	}

	/** DIR/name, created when missing; a link, or anything but a folder, there is an error. */
	public Path folder(String name) throws WriteError {
		Path dir = root.resolve(plain(name));
		try {
			Files.createDirectories(root); // DIR itself is the user's choice, a link to a folder included
			if (Files.isSymbolicLink(dir)) {
				throw new WriteError(shown(dir) + " is a symbolic link; pgmap does not write through links: remove it or choose another --out");
			}
			if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
				throw new WriteError(shown(dir) + " is in the way: it is not a folder");
			}
			if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectory(dir);
			}
			return dir;
		} catch (IOException e) {
			throw new WriteError("cannot create " + shown(dir) + ": " + reason(e));
		}
	}

	/**
	 * Writes the files (name -> content) into a folder from {@link #folder}: each to a temporary
	 * file first; only when all of them are on disk is each renamed into place. On failure no
	 * temporary file is left and no old file is changed that was not already replaced.
	 */
	public void write(Path dir, Map<String, String> files) throws WriteError {
		for (String name : files.keySet()) {
			Path target = dir.resolve(plain(name));
			if (Files.isSymbolicLink(target)) {
				throw new WriteError(shown(target) + " is a symbolic link; pgmap does not write through links: remove it");
			}
			if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
				throw new WriteError(shown(target) + " is in the way: it is a folder");
			}
		}
		Map<Path, Path> staged = new LinkedHashMap<>(); // temporary file -> target
		try {
			for (Map.Entry<String, String> f : files.entrySet()) {
				Path target = dir.resolve(plain(f.getKey()));
				staged.put(stage(dir, f.getKey(), f.getValue()), target);
			}
			for (Map.Entry<Path, Path> s : staged.entrySet()) {
				move(s.getKey(), s.getValue());
			}
		} catch (IOException e) {
			throw new WriteError("cannot write into " + shown(dir) + ": " + reason(e) + "; its old files are unchanged");
		} finally {
			for (Path tmp : staged.keySet()) { // those not renamed yet
				try {
					Files.deleteIfExists(tmp);
				} catch (IOException e) {
					// best effort: the temporary file's name says what it is
				}
			}
		}
	}

	/** The content in a new temporary file of the folder (created exclusively, never through a link), on disk. */
	private static Path stage(Path dir, String name, String content) throws IOException {
		ByteBuffer bytes;
		try {
			bytes = StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(content));
		} catch (CharacterCodingException e) {
			throw new IOException(name + " is not valid text (" + e.getMessage() + ")");
		}
		for (int attempt = 0;; attempt++) {
			Path tmp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS)) {
				try {
					while (bytes.hasRemaining()) {
						ch.write(bytes);
					}
					ch.force(true); // the data is on disk before the rename makes it the file
				} catch (IOException e) {
					Files.deleteIfExists(tmp);
					throw e;
				}
				return tmp;
			} catch (FileAlreadyExistsException e) {
				if (attempt > 10) {
					throw e;
				}
			}
		}
	}

	/** Renames atomically where the file system can, else replaces the old file in one move. */
	private static void move(Path tmp, Path target) throws IOException {
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
		} catch (AtomicMoveNotSupportedException e) {
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** A name for one path component: generators derive them from identifiers; anything else is a bug. */
	private static String plain(String name) {
		if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")) {
			throw new IllegalArgumentException("not a plain file name: " + Escape.printable(name));
		}
		return name;
	}

	private static String shown(Path p) {
		return Escape.printable(p.toString());
	}

	/** What went wrong, in one line (a bare FileSystemException says only the file: add its kind). */
	private static String reason(IOException e) {
		if (e instanceof FileSystemException f && f.getReason() == null) {
			return e.getClass().getSimpleName().replace("Exception", "") + ": " + Escape.printable(String.valueOf(f.getFile()));
		}
		return Escape.printable(String.valueOf(e.getMessage()));
	}
}
