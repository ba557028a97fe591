package io.shm.segment;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of the header every object starts with; the object's data follows at {@link #LENGTH}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                            Type Id                            |  0
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |  4
 *  +---------------------------------------------------------------+
 *  |                         Element Size                          |  8
 *  +---------------------------------------------------------------+
 *  |                       Type Name Length                        | 12
 *  +---------------------------------------------------------------+
 *  |                 Length in elements (8 bytes)                  | 16
 *  +---------------------------------------------------------------+
 *  |                 Type Name, ASCII (32 bytes)                  ... 24
 *  +---------------------------------------------------------------+
 *  |                        Reserved (8 bytes)                     | 56
 *  +---------------------------------------------------------------+
 *  |                             Data                             ... 64
 * </pre>
 * The header is written by the creator before the directory entry is published, and checked by
 * every opener against the type it asks for, so an object is never read as another type.
 */
public final class ObjectHeaderDescriptor
{
    /**
     * Longest type name, in ASCII characters.
     */
    public static final int MAX_TYPE_NAME_LENGTH = 32;

    /**
     * The type id ({@link TypeId}).
     */
    public static final int TYPE_ID_OFFSET = 0;

    /**
     * The version of the type's layout.
     */
    public static final int LAYOUT_VERSION_OFFSET = TYPE_ID_OFFSET + SIZE_OF_INT;

    /**
     * The size of one element, in bytes.
     */
    public static final int ELEMENT_SIZE_OFFSET = LAYOUT_VERSION_OFFSET + SIZE_OF_INT;

    /**
     * The length of the type name.
     */
    public static final int TYPE_NAME_LENGTH_OFFSET = ELEMENT_SIZE_OFFSET + SIZE_OF_INT;

    /**
     * The length in elements.
     */
    public static final int LENGTH_OFFSET = TYPE_NAME_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * The type name, in ASCII, so a file can be read without this library.
     */
    public static final int TYPE_NAME_OFFSET = LENGTH_OFFSET + SIZE_OF_LONG;

    /**
     * Length of the header: one cache line, the last 8 bytes reserved. An object's data starts at
     * this offset.
     */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    private ObjectHeaderDescriptor()
    {
    }
}
