package dev.authsome.vault.keychain;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CredentialApi} over JNA: advapi32's CredWriteW, CredReadW, CredEnumerateW, CredDeleteW and CredFree. Loaded
 * lazily, on Windows only. Compiled and reviewed here, not run: this build has no Windows machine.
 */
final class Advapi32Credentials implements CredentialApi {
  private static final int CRED_TYPE_GENERIC = 1;
  private static final int CRED_PERSIST_LOCAL_MACHINE = 2;

  /** The advapi32 functions, with the Unicode (W) names; a failed call throws with GetLastError(). */
  interface Advapi32 extends Library {
    boolean CredWriteW(Credential credential, int flags) throws LastErrorException;

    boolean CredReadW(WString target, int type, int flags, PointerByReference credential) throws LastErrorException;

    boolean CredEnumerateW(WString filter, int flags, IntByReference count, PointerByReference credentials)
        throws LastErrorException;

    boolean CredDeleteW(WString target, int type, int flags) throws LastErrorException;

    void CredFree(Pointer buffer);
  }

  /** CREDENTIALW; FILETIME LastWritten is two DWORDs. */
  @Structure.FieldOrder({"Flags", "Type", "TargetName", "Comment", "LastWrittenLow", "LastWrittenHigh",
      "CredentialBlobSize", "CredentialBlob", "Persist", "AttributeCount", "Attributes", "TargetAlias", "UserName"})
  public static final class Credential extends Structure {
    public int Flags;
    public int Type;
    public WString TargetName;
    public WString Comment;
    public int LastWrittenLow;
    public int LastWrittenHigh;
    public int CredentialBlobSize;
    public Pointer CredentialBlob;
    public int Persist;
    public int AttributeCount;
    public Pointer Attributes;
    public WString TargetAlias;
    public WString UserName;

    public Credential() {}

    public Credential(Pointer memory) {
      super(memory);
      read();
    }
  }

  private final Advapi32 api;

  Advapi32Credentials() {
    this.api = Native.load("Advapi32", Advapi32.class);
  }

  @Override
  public void write(String target, String userName, String comment, byte[] blob) {
    Credential credential = new Credential();
    credential.Type = CRED_TYPE_GENERIC;
    credential.TargetName = new WString(target);
    credential.UserName = new WString(userName);
    credential.Comment = new WString(comment);
    credential.Persist = CRED_PERSIST_LOCAL_MACHINE;
    credential.CredentialBlobSize = blob.length;
    Memory memory = new Memory(Math.max(1, blob.length));
    memory.write(0, blob, 0, blob.length);
    credential.CredentialBlob = memory;
    try {
      api.CredWriteW(credential, 0);
    } catch (LastErrorException e) {
      throw new Failure("CredWriteW", e.getErrorCode());
    } finally {
      memory.clear();
    }
  }

  @Override
  public Optional<byte[]> read(String target) {
    PointerByReference out = new PointerByReference();
    try {
      api.CredReadW(new WString(target), CRED_TYPE_GENERIC, 0, out);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ERROR_NOT_FOUND) {
        return Optional.empty();
      }
      throw new Failure("CredReadW", e.getErrorCode());
    }
    try {
      Credential credential = new Credential(out.getValue());
      return Optional.of(credential.CredentialBlobSize == 0 ? new byte[0]
          : credential.CredentialBlob.getByteArray(0, credential.CredentialBlobSize));
    } finally {
      api.CredFree(out.getValue());
    }
  }

  @Override
  public List<String> enumerate(String filter) {
    IntByReference count = new IntByReference();
    PointerByReference out = new PointerByReference();
    try {
      api.CredEnumerateW(new WString(filter), 0, count, out);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ERROR_NOT_FOUND) {
        return List.of();
      }
      throw new Failure("CredEnumerateW", e.getErrorCode());
    }
    try {
      List<String> targets = new ArrayList<>();
      for (Pointer each : out.getValue().getPointerArray(0, count.getValue())) {
        targets.add(new Credential(each).TargetName.toString());
      }
      return targets;
    } finally {
      api.CredFree(out.getValue());
    }
  }

  @Override
  public boolean delete(String target) {
    try {
      return api.CredDeleteW(new WString(target), CRED_TYPE_GENERIC, 0);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ERROR_NOT_FOUND) {
        return false;
      }
      throw new Failure("CredDeleteW", e.getErrorCode());
    }
  }
}
